namespace InferenceServer.Hosting;

/// <summary>
/// Configuration section <c>Telemetry</c>: OpenTelemetry traces, exported by OTLP only when an endpoint is configured
/// here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>e.g. <c>http://otel-collector:4317</c> (grpc) or <c>http://otel-collector:4318</c> (http/protobuf).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    public string ServiceName { get; set; } = "inferenceserver";

    public static IReadOnlyList<string> Protocols { get; } = ["grpc", "http/protobuf"];
}
