// A full garbage collection on the calling thread, for a long-lived process
// that is idle (watch between saves). V8 lets a heap that has room grow
// rather than collect, so a watch session's resident memory crept up build
// after build though nothing was kept; collecting while nobody waits keeps it
// flat and costs no build anything. `gc` is V8's own, taken from a new
// context once it is exposed: a worker cannot be started with --expose-gc.
import v8 from 'node:v8';
import vm from 'node:vm';

let fullCollection: (() => void) | undefined;

export function collectGarbage(): void {
  if (!fullCollection) {
    v8.setFlagsFromString('--expose-gc');
    fullCollection = vm.runInNewContext('gc') as () => void;
  }
  fullCollection();
}
