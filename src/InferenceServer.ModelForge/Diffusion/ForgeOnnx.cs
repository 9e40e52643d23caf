using InferenceServer.ModelForge.Decoder;
using Onnx;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>Wraps a built graph into a model (IR 10, opset 21), as the decoder forge does.</summary>
internal static class ForgeOnnx
{
    public static ModelProto Model(OnnxGraphBuilder graph)
    {
        var model = new ModelProto { IrVersion = 10, ProducerName = "InferenceServer.ModelForge", Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
