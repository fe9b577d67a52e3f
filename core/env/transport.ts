/**
 * A message between two named nodes (agents, supervisor instances, stores, bus).
 * `kind` names the protocol step, `body` is plain JSON-able data.
 */
export interface Message<Body = unknown> {
  from: string;
  to: string;
  kind: string;
  body: Body;
}

/** What a node does when a message reaches it. */
export type MessageHandler = (message: Message) => void;

/** Lifecycle callbacks of a node, called by the world the node lives in. */
export interface NodeLifecycle {
  /** The node crashed: volatile state must be dropped; nothing in flight survives. */
  onCrash?(): void;
  /** The node came back after a crash, with only its durable state. */
  onRestart?(): void;
}

/**
 * Moves messages between nodes. Delivery is not guaranteed: a message can be
 * late, lost, duplicated, reordered or cut off by a partition. Callers that need
 * delivery use acknowledgements and timeouts.
 */
export interface Transport {
  /** Sends `message` towards `message.to`; returns immediately. */
  send(message: Message): void;
  /** Registers the handler (and lifecycle callbacks) of node `node`. One per node. */
  listen(node: string, handler: MessageHandler, lifecycle?: NodeLifecycle): void;
}
