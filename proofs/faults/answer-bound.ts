/** The behaviour under test: an answer (503 while DynamoDB is down) arrives within this bound. */
export const ANSWER_WITHIN_MS = 5000;
