/**
 * The graph of layer applications between a functional model's inputs and outputs, in an
 * order where every node comes after the nodes feeding it. Mirrors the graph-walking part of
 * keras/src/ops/function.py.
 */
import { KerasTensor } from '../backend/keras_tensor.js';
import type { Tensor } from '../backend/tensor.js';
import { formatShape } from '../backend/tensor.js';
import type { LayerShape } from '../layers/input_spec.js';
import type { Layer } from '../layers/layer.js';
import type { Node } from '../layers/node.js';

export class FunctionalGraph {
  /** Nodes in execution order, input nodes excluded. */
  readonly nodes: readonly Node[];
  /** Every layer once, in Keras's order (see layersByDepth): the input layers come first. */
  readonly layers: readonly Layer[];

  constructor(readonly inputs: readonly KerasTensor[], readonly outputs: readonly KerasTensor[]) {
    [...inputs, ...outputs].forEach((t, i) => {
      if (!(t instanceof KerasTensor) || !t.history) {
        throw new Error(`Model: inputs and outputs must be symbolic tensors from keras.Input and layer calls; item ${i} is not`);
      }
    });
    const inputNodes = new Set(inputs.map((t) => t.history!.node));
    const ordered: Node[] = []; // post-order: every node after the nodes feeding it
    const discovery = new Map<Layer, number>(); // pre-order from the outputs, Keras's tie-breaker
    const visited = new Set<Node>();
    const visit = (tensor: KerasTensor, path: Set<Node>): void => {
      const node = tensor.history!.node;
      if (visited.has(node)) return;
      if (path.has(node)) throw new Error(`Model: the graph has a cycle through layer "${node.layer.name}"`);
      if (node.inputs.length === 0 && !inputNodes.has(node)) {
        throw new Error(`Graph disconnected: cannot find the input ${tensor.toString()} of the model among its \`inputs\`. ` +
          'Pass every keras.Input the outputs depend on.');
      }
      if (!discovery.has(node.layer)) discovery.set(node.layer, discovery.size);
      path.add(node);
      if (!inputNodes.has(node)) node.inputs.forEach((t) => visit(t, path));
      path.delete(node);
      visited.add(node);
      ordered.push(node);
    };
    outputs.forEach((t) => visit(t, new Set()));
    this.nodes = ordered.filter((n) => !inputNodes.has(n));
    this.layers = layersByDepth(ordered, discovery);
  }

  /** Runs the graph on concrete tensors fed to the inputs in order. */
  run(values: readonly Tensor[], training: boolean): Tensor[] {
    if (values.length !== this.inputs.length) {
      throw new Error(`Model expects ${this.inputs.length} input(s), but it received ${values.length} input tensors.`);
    }
    const computed = new Map<KerasTensor, Tensor>();
    this.inputs.forEach((t, i) => {
      checkInputShape(t, values[i], i);
      computed.set(t, values[i]);
    });
    for (const node of this.nodes) {
      const args = node.inputs.map((t) => computed.get(t)!);
      const result = args.length === 1 ? node.layer.apply(args[0], { training }) : node.layer.apply(args, { training });
      computed.set(node.outputs[0], result);
    }
    return this.outputs.map((t) => computed.get(t)!);
  }

  /** The output shapes for inputs of the given shapes, computed symbolically. */
  outputShapes(inputShapes: readonly LayerShape[]): LayerShape[] {
    const shapes = new Map<KerasTensor, LayerShape>();
    this.inputs.forEach((t, i) => shapes.set(t, inputShapes[i]));
    for (const node of this.nodes) {
      const args = node.inputs.map((t) => shapes.get(t)!);
      shapes.set(node.outputs[0], node.layer.computeOutputShape(args.length === 1 ? args[0] : args));
    }
    return this.outputs.map((t) => shapes.get(t)!);
  }
}

/**
 * Layers in Keras's order (keras/src/ops/function.py map_graph): by depth, counted from the
 * outputs, deepest first, ties in discovery order from the outputs. This is the order of
 * `model.layers`, of `summary()` rows and of weights loaded by position; in a ResNet block it
 * puts the main branch's first convolution before the shortcut's.
 */
function layersByDepth(postOrder: readonly Node[], discovery: ReadonlyMap<Layer, number>): Layer[] {
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i];
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputs) {
      const parent = t.history!.node;
      nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  return [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || discovery.get(a)! - discovery.get(b)!);
}

/** The concrete input must match the symbolic one in rank and in every known size. */
function checkInputShape(symbolic: KerasTensor, value: Tensor, index: number): void {
  const expected = symbolic.shape;
  if (value.rank !== expected.length || expected.some((d, i) => d !== null && d !== value.shape[i])) {
    throw new Error(`Input ${index} of layer "${symbolic.history!.node.layer.name}" is incompatible with the layer: ` +
      `expected shape=${formatShape(expected)}, found shape=${formatShape(value.shape)}`);
  }
}
