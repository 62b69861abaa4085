/**
 * The error and what caused it, outermost first: `err`, its `cause`, that one's `cause`, … while each is an object.
 * The walk stops after a few levels, so a cycle of causes (an error that is its own cause's cause) ends. Pure: the
 * API and the workflows read errors through this one walk.
 */
export function causesOf(err: unknown, depth = 8): object[] {
  const out: object[] = [];
  for (let cur: unknown = err; out.length < depth && typeof cur === 'object' && cur !== null; cur = causeOf(cur)) out.push(cur);
  return out;
}

function causeOf(o: object): unknown {
  return 'cause' in o ? o.cause : undefined;
}
