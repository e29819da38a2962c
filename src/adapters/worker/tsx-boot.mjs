/**
 * Starts a worker thread's TypeScript entry from source (tests, `npm run dev`): a worker does not
 * inherit tsx's loader from the main thread, so this registers it in the worker, then imports the
 * entry given as the worker's first argument. Built code (dist/) starts its .js entry directly.
 */
import { register } from "tsx/esm/api";

register();
await import(process.argv[2]);
