// Property tests draw their cases from a fixed seed, so a test run is repeatable (CI too).
// FC_SEED=random explores new cases (print the seed of a failure, then replay it with FC_SEED=N).
import fc from 'fast-check';

const seed = process.env['FC_SEED'];
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261129 });
