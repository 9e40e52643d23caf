using InferenceServer.Engine.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Tests.Runtime;

/// <summary>The log says where ONNX Runtime placed each graph's nodes, from ONNX Runtime's own record of the placement.</summary>
public sealed class GraphPlacementTests
{
    [Fact]
    public void OpeningAForgeGraphLogsThatItsNodesAreOnCpu()
    {
        var log = new RecordingLogger();
        var factory = new SessionFactory(new ExecutionProfileOptions(), log);
        using var options = factory.CreateOptions();
        using var session = factory.Open(ForgeGraph.Path, options);

        var line = Assert.Single(log.Lines);
        Assert.StartsWith($"Graph {ForgeGraph.Path}: ONNX Runtime placed all ", line);
        Assert.EndsWith(" nodes on CPUExecutionProvider", line);
    }

    [Fact]
    public void ThePlacementListsTheGraphsOperators()
    {
        using var options = new SessionFactory(new ExecutionProfileOptions()).CreateOptions();
        using var session = new InferenceSession(ForgeGraph.Path, options);
        var placement = GraphPlacement.Read(session);

        var (provider, ops) = Assert.Single(placement.NodesByProvider);
        Assert.Equal("CPUExecutionProvider", provider);
        Assert.Contains("GroupQueryAttention", ops);
        Assert.Contains("MatMul", ops);
    }

    [Fact]
    public void WithoutTheRecordOnnxRuntimeSaysSoThroughTheCApi()
    {
        using var session = new InferenceSession(ForgeGraph.Path);
        var e = Assert.Throws<OrtCallException>(() => GraphPlacement.Read(session));
        Assert.StartsWith("Session_GetEpGraphAssignmentInfo: ", e.Message);
        Assert.Contains(GraphPlacement.RecordConfigKey, e.Message);
    }

    [Fact]
    public void AMixedPlacementNamesTheOperatorsLeftOnCpu()
    {
        var placement = new GraphPlacement(new Dictionary<string, IReadOnlyList<string>>
        {
            ["CPUExecutionProvider"] = ["TopK", "Softmax", "TopK"],
            ["CANNExecutionProvider"] = ["MatMul", "Add", "MatMul", "Gelu"],
        });
        Assert.Equal("4 nodes on CANNExecutionProvider; 3 on CPUExecutionProvider (Softmax, TopK ×2)", placement.Summary());
        Assert.Equal("its one node on CPUExecutionProvider",
            new GraphPlacement(new Dictionary<string, IReadOnlyList<string>> { ["CPUExecutionProvider"] = ["Add"] }).Summary());
    }

    [Fact]
    public void DisableCpuFallbackReachesOnnxRuntime()
    {
        // A profile whose provider runs (as far as this test is concerned) with the node-level CPU fallback refused: the
        // forge graph's nodes would all land on CPU here, and ONNX Runtime refuses to load it.
        var factory = new SessionFactory(new ExecutionProfileOptions { Profile = "cann", DisableCpuFallback = true },
            ["CANNExecutionProvider", "CPUExecutionProvider"], probe: _ => null);
        using var options = factory.CreateBaseOptions();
        var e = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(ForgeGraph.Path, options));
        Assert.Contains("fallback to CPU EP has been explicitly disabled", e.Message);

        using var allowed = new SessionFactory(new ExecutionProfileOptions { Profile = "cann" }, ["CANNExecutionProvider", "CPUExecutionProvider"], probe: _ => null)
            .CreateBaseOptions();
        using var loads = new InferenceSession(ForgeGraph.Path, allowed);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
