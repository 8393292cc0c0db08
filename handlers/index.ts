import { defineHandlers } from '../lib/react/handler';
import { logReadyVideo } from './log-ready-video';

/**
 * The code that runs after each new event is stored: handlers per event type, and under '*' for
 * every event. Edit freely (see README.md here); `npm run build` bundles it into both functions and
 * fails when this module does not load or a handler is malformed.
 */
export default defineHandlers({
  ProcedureStateChanged: [logReadyVideo],
});
