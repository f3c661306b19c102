// Type-level proof (checked by `tsc --noEmit -p packages/spec`, never run, never shipped) that the
// registry is a map over every op: a missing or an extra entry fails the type check. Each
// `@ts-expect-error` must meet an error, or tsc fails on the unused directive.
import type { ZodObject } from 'zod';
import type { OpDef } from './common.js';
import { type OpName, opRegistry } from './registry.js';
import { relu } from './relu.js';

type Registry = { [O in OpName]: OpDef<ZodObject, never> };

// The registry itself satisfies the map.
opRegistry satisfies Registry;

const { concat: _concat, ...withoutConcat } = opRegistry;
// @ts-expect-error a registry without concat is not a map over every op
withoutConcat satisfies Registry;

// @ts-expect-error an entry that is not an op
({ ...opRegistry, notAnOp: relu }) satisfies Registry;

// @ts-expect-error an entry of the wrong kind (a schema is not an OpDef)
({ ...opRegistry, concat: relu.schema }) satisfies Registry;
