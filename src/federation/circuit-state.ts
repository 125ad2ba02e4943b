// The servers Fedify's circuit breaker holds deliveries for: its state per remote host lives in
// the key–value store under ["_fedify", "circuit", host].
import { parseCircuitBreakerKvState, type KvStore } from "@fedify/fedify";

const PREFIX = ["_fedify", "circuit"] as const;

export interface HeldServer {
  readonly host: string;
  readonly state: "open" | "half-open";
  /** When the circuit opened, if known. */
  readonly since: Date | null;
  /** Recent failures that count towards the circuit. */
  readonly failures: number;
}

export async function listHeldServers(kv: KvStore): Promise<HeldServer[]> {
  const held: HeldServer[] = [];
  for await (const { key, value } of kv.list(PREFIX)) {
    // Longer keys are the breaker's own bookkeeping, not hosts.
    if (key.length !== PREFIX.length + 1) continue;
    const state = parseCircuitBreakerKvState(value);
    if (state === undefined || state.state === "closed") continue;
    held.push({
      host: String(key[PREFIX.length]),
      state: state.state,
      since: state.opened === undefined ? null : new Date(state.opened),
      failures: state.failures.length,
    });
  }
  return held;
}
