/** A directed graph: node → the nodes it points to. */
export type Digraph = Map<string, readonly string[]>;

/** Each cycle as its chain of nodes, ending where it starts: [a, b, c, a]. */
export type CycleReport = { cycles: string[][]; truncated: boolean };

/** Enough to list every cycle a real mistake makes; a tangle beyond it is reported as truncated. */
const MAX_CYCLES = 200;
const MAX_STEPS = 200_000;

/** Tarjan's strongly connected components, iteratively (no recursion depth limit). */
function components(graph: Digraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        found.push(component);
      }
    }
  }
  return found;
}

/**
 * Every elementary cycle, each listed once, starting at its alphabetically first node. Only
 * strongly connected components are searched, so an acyclic graph costs one linear pass.
 */
export function findCycles(graph: Digraph): CycleReport {
  const cycles: string[][] = [];
  let steps = 0;
  let truncated = false;
  for (const component of components(graph)) {
    const only = component[0] as string;
    if (component.length === 1 && !(graph.get(only) ?? []).includes(only)) continue;
    const order = [...component].sort();
    const rank = new Map(order.map((node, i) => [node, i]));
    for (const start of order) {
      const startRank = rank.get(start) as number;
      const path = [start];
      const onPath = new Set(path);
      // Depth-first over nodes ranked after `start`: each cycle is found from its first node only.
      const walk = (node: string): void => {
        for (const next of graph.get(node) ?? []) {
          if (truncated) return;
          if (++steps > MAX_STEPS || cycles.length >= MAX_CYCLES) {
            truncated = true;
            return;
          }
          const nextRank = rank.get(next);
          if (nextRank === undefined || nextRank < startRank) continue;
          if (next === start) cycles.push([...path, start]);
          else if (!onPath.has(next)) {
            path.push(next);
            onPath.add(next);
            walk(next);
            path.pop();
            onPath.delete(next);
          }
        }
      };
      walk(start);
    }
  }
  return { cycles, truncated };
}
