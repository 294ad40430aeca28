package org.captchasolver.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Builds an ONNX graph node by node on ONNX's protobuf classes: fresh tensor names, float and int64 initialisers,
 * attributes from plain Java values.
 */
final class OnnxGraph {
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int next;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float32 input of this shape; a dimension of -1 is the dynamic batch. */
    String input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Declares {@code name} as an output of this shape. */
    void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** A float32 constant. */
    String floats(String hint, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(hint, OnnxMl.TensorProto.DataType.FLOAT, raw, values.length, dims);
    }

    /** An int64 constant, a shape or a list of axes. */
    String longs(String hint, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(hint, OnnxMl.TensorProto.DataType.INT64, raw, values.length, values.length);
    }

    private String initializer(String hint, OnnxMl.TensorProto.DataType type, ByteBuffer raw, int count, long... dims) {
        long product = 1;
        for (long d : dims) {
            product *= d;
        }
        if (product != count) {
            throw new IllegalArgumentException(hint + ": " + count + " values for a tensor of " + product);
        }
        String name = fresh(hint);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node with one output and returns the output's name. */
    String node(String op, Map<String, Object> attributes, String... inputs) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        node(op, attributes, inputs, new String[] {out});
        return out;
    }

    /** Adds a node with one output of the given name. */
    String nodeTo(String output, String op, Map<String, Object> attributes, String... inputs) {
        node(op, attributes, inputs, new String[] {output});
        return output;
    }

    private void node(String op, Map<String, Object> attributes, String[] inputs, String[] outputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(fresh(op + "_node"));
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        attributes.forEach((k, v) -> n.addAttribute(attribute(k, v)));
        graph.addNode(n);
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float f) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (value instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ints) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long i : ints) {
                a.addInts(i);
            }
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported " + value.getClass());
        }
        return a.build();
    }

    private String fresh(String hint) {
        return hint + "_" + next++;
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }
}
