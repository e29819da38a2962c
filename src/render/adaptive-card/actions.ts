/** Names shared by the cards and the Teams adapter that reads their button clicks. */

/** The verb of the cards' Action.Execute buttons; the data carries the command text (`attestCommand`). */
export const RUN_VERB = "attest.run";

/** The id of the policy card's multi-line input; its value is sent with the Check button's data. */
export const POLICY_INPUT_ID = "attestPolicyText";

/** Longest policy the input card accepts (MAA policies are a few hundred characters). */
export const POLICY_INPUT_MAX_CHARS = 20_000;
