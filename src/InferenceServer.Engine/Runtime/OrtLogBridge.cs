using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Sends ONNX Runtime's own log lines (a node that fails in a run, a provider that cannot start) to the host's logger
/// under the category <c>OnnxRuntime</c>, so they reach Serilog's console, JSON and file sinks instead of bare stderr.
/// ONNX Runtime's environment is created once per process and takes its logging function then: this must run before
/// anything creates a session. A later call only points the lines at another logger.
/// </summary>
public static partial class OrtLogBridge
{
    public const string Category = "OnnxRuntime";

    private static readonly Lock Gate = new();

    // Held for the life of the process: the native environment keeps calling it.
    private static readonly DOrtLoggingFunction Callback = Forward;
    private static ILogger? _target;
    private static bool _installed;

    /// <summary>Routes ONNX Runtime's log to <paramref name="logger"/>; false when the environment already existed without it.</summary>
    public static bool Install(ILogger logger)
    {
        lock (Gate)
        {
            Volatile.Write(ref _target, logger);
            if (!_installed && !OrtEnv.IsCreated)
            {
                var options = new EnvironmentCreationOptions
                {
                    logId = "InferenceServer",
                    logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                    loggingFunction = Callback,
                };
                OrtEnv.CreateInstanceWithOptions(ref options);
                _installed = true;
            }

            return _installed;
        }
    }

    internal static LogLevel Level(OrtLoggingLevel severity) => severity switch
    {
        OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Debug,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        // Called from ONNX Runtime's threads: an exception must never travel back into native code.
        try
        {
            var logger = Volatile.Read(ref _target);
            var level = Level(severity);
            if (logger is not null && logger.IsEnabled(level))
            {
                LogLine(logger, level, category, codeLocation, message);
            }
        }
        catch (Exception)
        {
            // A logger disposed with its host (tests start several in one process) drops the line.
        }
    }

    [LoggerMessage(Message = "{OrtCategory} {OrtLocation}: {OrtMessage}")]
    private static partial void LogLine(ILogger logger, LogLevel level, string ortCategory, string ortLocation, string ortMessage);
}
