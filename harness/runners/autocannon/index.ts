/** The autocannon runner: `blast` a scenario's HTTP workload (the API's ops, or the chat app's `chat`) through autocannon into our result model. */
export {
  type BlastOptions,
  type BlastOutcome,
  type BlastPlan,
  blast,
  MAX_SETUP_THREADS,
  planBlast,
} from './blast.js';
export {
  CHAT_TEXTS_PER_CONNECTION,
  type ChatRequestContext,
  chatRequests,
  chatUserId,
} from './chat-requests.js';
export { type AutocannonFigures, type DriveOptions, driveAutocannon } from './driver.js';
export {
  type LoadOverrides,
  type LoadShape,
  loadShape,
  MAX_BLAST_MS,
  MAX_CONNECTIONS,
} from './load-shape.js';
export {
  API_BLAST_OPS,
  BLAST_OPS,
  type BlastOp,
  type BlastRequest,
  type BlastSlot,
  blastCycle,
  blastRequests,
  blastWeights,
} from './requests.js';
export {
  type ConnectionTap,
  createResponseRecorder,
  type ResponseRecorder,
  type ResponseTally,
} from './response-recorder.js';
