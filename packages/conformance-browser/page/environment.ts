// What this browser offers the backends: probed once, reported beside the results, so that an
// unavailable WebGL or WebGPU variant can be told apart from a backend bug.
import type { BrowserEnvironment } from '../src/protocol.ts';

function webgl2(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl === null) return 'unavailable: getContext("webgl2") returned null';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info
    ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL)
    : gl.getParameter(gl.RENDERER);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return String(renderer);
}

async function webgpu(): Promise<string> {
  // navigator.gpu is only typed with @webgpu/types; the page does not need more than this.
  const gpu = (
    navigator as unknown as {
      gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> };
    }
  ).gpu;
  if (gpu === undefined)
    return 'unavailable: navigator.gpu is undefined (WebGPU is disabled in this browser)';
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return 'unavailable: navigator.gpu.requestAdapter() returned null';
    const i = adapter.info ?? {};
    return (
      [i.vendor, i.architecture, i.description].filter((s) => s).join(' ') ||
      'an adapter with no description'
    );
  } catch (e) {
    return `unavailable: requestAdapter() threw ${e instanceof Error ? e.message : String(e)}`;
  }
}

export async function probeEnvironment(): Promise<BrowserEnvironment> {
  return {
    userAgent: navigator.userAgent,
    webgl2: webgl2(),
    webgpu: await webgpu(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}
