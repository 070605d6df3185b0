/**
 * What a node must remember across restarts besides its outbox: the last sequence number
 * per stream (so a restarted node never re-uses one the server holds) and the alarms it has
 * open (so an alarm whose condition cleared while the node was down is cleared). Small JSON,
 * replaced atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConstraintEvent } from '@iotmon/domain';

export interface NodeState {
  /** Last seq handed out per stream: a sensor kind for readings, `event` for events. */
  lastSeq: Record<string, number>;
  /** The latest raised transition of each alarm that is open at this node. */
  open: ConstraintEvent[];
}

export class NodeStateFile {
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'state.json');
  }

  load(): NodeState {
    const empty: NodeState = { lastSeq: {}, open: [] };
    if (!existsSync(this.path)) return empty;
    try {
      const s = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<NodeState>;
      return { lastSeq: s.lastSeq ?? {}, open: s.open ?? [] };
    } catch {
      return empty;
    }
  }

  save(state: NodeState): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }
}
