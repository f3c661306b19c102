// tanh and the logistic function as kernel source that cannot overflow. GLSL ES and WGSL promise no
// IEEE infinity when an exponential leaves float32's range, and the built-in tanh of SwiftShader
// (WebGL2 and WebGPU) gave NaN for tanh(301), so every exponential here is of −|x|, in (0, 1]:
//   tanh(x) = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|))
//   σ(x) = 1 / (1 + e^(−|x|)) for x ≥ 0, e^(−|x|) / (1 + e^(−|x|)) for x < 0
// Near 0, 1 − e^(−2|x|) loses about 2^-24 / |x| of relative precision: 3e-8 absolute at x = 1e-3.

/** Local names are chosen by this compiler; a malformed one is a bug here. */
function local(name: string): string {
  if (!/^[a-z][a-z0-9]*$/.test(name)) throw new TypeError(`kernel local ${name} is malformed`);
  return name;
}

/** Source declaring `const <name> = tanh(<x>);` (and helpers named after it). */
export function tanhLines(name: string, x: string): string {
  local(name);
  return `const ${name}x = ${x};
const ${name}e = Math.exp(-2 * Math.abs(${name}x));
const ${name}m = (1 - ${name}e) / (1 + ${name}e);
const ${name} = ${name}x >= 0 ? ${name}m : -${name}m;`;
}

/** Source declaring `const <name> = σ(<x>);` (and helpers named after it). */
export function sigmoidLines(name: string, x: string): string {
  local(name);
  return `const ${name}x = ${x};
const ${name}e = Math.exp(-Math.abs(${name}x));
const ${name} = ${name}x >= 0 ? 1 / (1 + ${name}e) : ${name}e / (1 + ${name}e);`;
}
