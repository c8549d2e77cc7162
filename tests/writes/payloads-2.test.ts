// Never an error after commit, whatever the payload selects: part 2 of 3 of the runs
// (tests/writes/support/payloads.ts).
import { describePayloads } from './support/payloads.ts';

describePayloads(2, 3);
