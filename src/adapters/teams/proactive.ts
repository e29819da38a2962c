/**
 * Proactive turns whose errors reach the caller. botbuilder runs the logic given to
 * `continueConversationAsync` / `createConversationAsync` through the adapter's middleware, which
 * hands any error to `adapter.onTurnError` and resolves when a handler is set (createTeamsApp sets
 * one for inbound turns). A refused proactive post (403, 404, 429, 5xx) would then look sent. Here
 * the logic's error is caught inside the turn and rethrown once the adapter call has returned.
 */
import type { TurnContext } from "botbuilder";

/**
 * Runs `start(logic')` where `logic'` wraps `logic`; rejects with `logic`'s error, if any, after
 * `start` settles (an error of `start` itself, e.g. no token, rejects as before).
 */
export async function proactiveTurn(
  start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { readonly error: unknown } | null = null;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  const caught = failure as { readonly error: unknown } | null;
  if (caught) throw caught.error;
}
