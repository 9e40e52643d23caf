namespace InferenceServer.Hosting;

/// <summary>Configuration section <c>Server</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>Where the built-in demo models are written on first start (when no model is configured).</summary>
    public string ModelCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "inferenceserver-models");

    /// <summary>Console log format: <c>human</c> or <c>json</c>.</summary>
    public string LogFormat { get; set; } = "human";

    /// <summary>Seconds between keep-alives (<c>: keep-alive</c> or blank lines) while a request waits for a slot.</summary>
    public double KeepAliveIntervalSeconds { get; set; } = 5;

    /// <summary>Optional log file (JSON lines), rolled daily and at 100 MiB, seven files kept: e.g. <c>/var/log/inferenceserver/server.log</c>.</summary>
    public string? LogFile { get; set; }

    public static IReadOnlyList<string> LogFormats { get; } = ["human", "json"];
}
