// Never an error after commit, whatever the payload selects: part 4 of 4 of the runs
// (tests/writes/support/payloads.ts).
import { describePayloads } from './support/payloads.ts';

describePayloads(4, 4);
