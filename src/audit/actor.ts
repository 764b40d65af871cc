import type { Viewer } from '../auth/viewer.js';

/** Who made a change: a token's subject and role, or `system:<name>` with no role. */
export interface Actor {
  subject: string;
  role: string | null;
}

/** A request's viewer. Without authentication (AUTH_MODE=off) the viewer has no subject: "anonymous". */
export function viewerActor(viewer: Viewer): Actor {
  return { subject: viewer.subject ?? 'anonymous', role: viewer.role };
}

/** A schedule, worker or command line, by name: `system:rebuild-worker`, `system:import-cli`, … */
export function systemActor(name: string): Actor {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`a system actor is named in kebab-case, got ${JSON.stringify(name)}`);
  return { subject: `system:${name}`, role: null };
}
