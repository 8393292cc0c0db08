// @ts-check
'use strict';

const path = require('path');

/**
 * The absolute path of a function's `package.artifact` (.serverless/<fn>.zip).
 *
 * @param {any} serverless
 * @param {string} functionName
 * @returns {string}
 */
function functionArtifact(serverless, functionName) {
  const functionObject = serverless.service.getFunction(functionName);
  const artifact = functionObject.package && functionObject.package.artifact;
  if (!artifact) {
    throw new serverless.classes.Error(`Function "${functionName}" has no package.artifact`, 'SCF_NO_ARTIFACT');
  }
  return path.resolve(serverless.serviceDir, artifact);
}

module.exports = { functionArtifact };
