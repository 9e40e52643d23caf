using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// <c>Runtime:NativeLibraryPath</c>: makes the managed ONNX Runtime package use a custom-built <c>libonnxruntime</c>
/// (for example one built with <c>--use_cann</c>). The file is checked first — it exists, it loads, it exports
/// <c>OrtGetApiBase</c>, it offers the C API version the managed package asks for — and then answers the package's
/// <c>"onnxruntime"</c> import through <see cref="NativeLibrary.SetDllImportResolver"/>, which must happen before
/// any ONNX Runtime call in the process.
/// </summary>
public static unsafe class OnnxRuntimeLibrary
{
    /// <summary>
    /// The <c>ORT_API_VERSION</c> that Microsoft.ML.OnnxRuntime.Managed 1.31.1 passes to <c>GetApi</c> in its
    /// <c>NativeMethods</c> static constructor (read from its IL); a library that does not offer it cannot serve it.
    /// </summary>
    public const uint ApiVersion = 31;

    private static readonly Lock Gate = new();
    private static string? _path;

    /// <summary>The handle of the configured library; null when the package's own is in use.</summary>
    internal static IntPtr? Handle { get; private set; }

    /// <summary>The library in use when one was configured, with its version string.</summary>
    public static (string Path, string Version)? Selected { get; private set; }

    /// <summary>Checks the file and routes the managed package's native calls to it.</summary>
    public static void Use(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (_path is not null)
            {
                if (_path == full)
                {
                    return;
                }

                throw new NativeLibraryException($"Runtime:NativeLibraryPath '{full}' cannot be used: this process already runs ONNX Runtime from '{_path}'.");
            }

            var (handle, version) = Inspect(full, ApiVersion);

            // The package installs its own resolver when it first initialises unless told not to; ours must be the one.
            OrtEnv.DisableDllImportResolver = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) => name == "onnxruntime" ? handle : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                throw new NativeLibraryException(
                    $"Runtime:NativeLibraryPath '{full}' cannot be used: ONNX Runtime was already loaded in this process before the setting was read.");
            }

            _path = full;
            Handle = handle;
            Selected = (full, version);
        }
    }

    /// <summary>Loads the file and checks it is an ONNX Runtime offering <paramref name="apiVersion"/>; returns its handle and version.</summary>
    internal static (IntPtr Handle, string Version) Inspect(string path, uint apiVersion)
    {
        const string Key = "Runtime:NativeLibraryPath";
        if (!File.Exists(path))
        {
            throw new NativeLibraryException(Directory.Exists(path)
                ? $"{Key} '{path}' is a folder; name the library file itself (libonnxruntime.so)."
                : $"{Key} '{path}' does not exist; name the libonnxruntime.so of your ONNX Runtime build.");
        }

        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The loader's own reason is its last line (for example "invalid ELF header" or a missing dependency).
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new NativeLibraryException($"{Key} '{path}' is not a shared library this machine can load ({reason}).");
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            NativeLibrary.Free(handle);
            throw new NativeLibraryException($"{Key} '{path}' is a shared library but not ONNX Runtime: it has no OrtGetApiBase export.");
        }

        var apiBase = ((delegate* unmanaged<IntPtr>)getApiBase)();
        var getVersion = (delegate* unmanaged<IntPtr>)Marshal.ReadIntPtr(apiBase, IntPtr.Size);
        var version = Marshal.PtrToStringUTF8(getVersion()) ?? "of unknown version";
        var api = ((delegate* unmanaged<uint, IntPtr>)Marshal.ReadIntPtr(apiBase))(apiVersion);
        if (api == IntPtr.Zero)
        {
            throw new NativeLibraryException(
                $"{Key} '{path}' is ONNX Runtime {version}, which does not offer C API version {apiVersion} that Microsoft.ML.OnnxRuntime 1.31.1 needs; build ONNX Runtime 1.31 or newer.");
        }

        return (handle, version);
    }
}
