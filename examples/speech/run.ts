// npx tsx examples/speech/run.ts [--quick] [--padded] [--seed N] [--out DIR]
import { launch } from '../shared/launch.ts';

await launch(new URL('./main.ts', import.meta.url));
