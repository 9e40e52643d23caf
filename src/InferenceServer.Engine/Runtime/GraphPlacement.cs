using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Which execution provider ONNX Runtime placed each node of a loaded graph on, as ONNX Runtime itself recorded it
/// (session option <c>session.record_ep_graph_assignment_info</c>, read with <c>Session_GetEpGraphAssignmentInfo</c>).
/// </summary>
/// <param name="NodesByProvider">Provider name → the operator types of the nodes placed there (one entry per node).</param>
public sealed record GraphPlacement(IReadOnlyDictionary<string, IReadOnlyList<string>> NodesByProvider)
{
    public const string RecordConfigKey = "session.record_ep_graph_assignment_info";

    // The C# API exposes no OrtSession* (InferenceSession.Handle is internal); the C API call needs it.
    private static readonly PropertyInfo? SessionHandle =
        typeof(InferenceSession).GetProperty("Handle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary>
    /// "all 23 nodes on CPUExecutionProvider", or "20 nodes on CANNExecutionProvider; 3 on CPUExecutionProvider (Softmax, TopK ×2)":
    /// the operator types are listed for every provider but the one with most nodes.
    /// </summary>
    public string Summary()
    {
        var ordered = NodesByProvider.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return "no nodes";
        }

        if (ordered.Count == 1)
        {
            return ordered[0].Value.Count == 1 ? $"its one node on {ordered[0].Key}" : $"all {ordered[0].Value.Count} nodes on {ordered[0].Key}";
        }

        var parts = new List<string> { $"{ordered[0].Value.Count} nodes on {ordered[0].Key}" };
        foreach (var (provider, ops) in ordered.Skip(1))
        {
            var kinds = ops.GroupBy(o => o, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}");
            parts.Add($"{ops.Count} on {provider} ({string.Join(", ", kinds)})");
        }

        return string.Join("; ", parts);
    }

    /// <summary>Reads the placement of a session created with <see cref="RecordConfigKey"/> set to 1.</summary>
    public static unsafe GraphPlacement Read(InferenceSession session)
    {
        var handle = SessionHandle?.GetValue(session) as IntPtr? ?? throw new OrtCallException(
            "Session_GetEpGraphAssignmentInfo: this Microsoft.ML.OnnxRuntime has no InferenceSession.Handle to pass.");
        IntPtr* subgraphs;
        nuint count;
        OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr**, nuint*, IntPtr>)OrtApiTable.Function(OrtApiTable.SessionGetEpGraphAssignmentInfo))(
            handle, &subgraphs, &count), "Session_GetEpGraphAssignmentInfo");
        var byProvider = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (nuint s = 0; s < count; s++)
        {
            IntPtr name;
            OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)OrtApiTable.Function(OrtApiTable.EpAssignedSubgraphGetEpName))(subgraphs[s], &name),
                "EpAssignedSubgraph_GetEpName");
            var provider = Marshal.PtrToStringUTF8(name) ?? "?";
            IntPtr* nodes;
            nuint nodeCount;
            OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr**, nuint*, IntPtr>)OrtApiTable.Function(OrtApiTable.EpAssignedSubgraphGetNodes))(
                subgraphs[s], &nodes, &nodeCount), "EpAssignedSubgraph_GetNodes");
            if (!byProvider.TryGetValue(provider, out var ops))
            {
                byProvider[provider] = ops = [];
            }

            for (nuint n = 0; n < nodeCount; n++)
            {
                IntPtr op;
                OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)OrtApiTable.Function(OrtApiTable.EpAssignedNodeGetOperatorType))(nodes[n], &op),
                    "EpAssignedNode_GetOperatorType");
                ops.Add(Marshal.PtrToStringUTF8(op) ?? "?");
            }
        }

        return new GraphPlacement(byProvider.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal));
    }
}
