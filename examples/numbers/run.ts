// npx tsx examples/numbers/run.ts [--quick] [--seed N] [--out DIR]
import { launch } from '../shared/launch.ts';

await launch(new URL('./main.ts', import.meta.url));
