using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// What <c>docker run</c> would do with an image, without a Docker engine: the server's build output copied to a
/// read-only app folder, a private root for the container's absolute paths (<c>/tmp</c>, <c>/models</c>), the
/// Dockerfile's ENTRYPOINT as the command line and its ENV as the environment (plus <c>-e</c> extras), run as a
/// non-root user (uid 1654, the image's <c>APP_UID</c>) when the tests run as root.
/// </summary>
public sealed class ContainerSandbox : IDisposable
{
    private const string AppUid = "1654";

    public ContainerSandbox(Dockerfile image)
    {
        Image = image;
        Root = Path.Combine(Path.GetTempPath(), "inferenceserver-container-" + Guid.NewGuid().ToString("N"));
        AppFolder = Path.Combine(Root, image.WorkDir.TrimStart('/'));
        CopyServer(Repository.ServerBuildOutput(), AppFolder);
        Directory.CreateDirectory(Path.Combine(Root, "tmp"));
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path.Combine(Root, "tmp"), (UnixFileMode)0x3FF);   // 1777 minus sticky: world-writable like /tmp
            File.SetUnixFileMode(Path.Combine(Root, "home"), (UnixFileMode)0x1FF);
        }

        Port = FreePort();
    }

    public Dockerfile Image { get; }

    public string Root { get; }

    public string AppFolder { get; }

    /// <summary>The host port standing in for the image's port (the only value changed: tests share one machine).</summary>
    public int Port { get; }

    /// <summary>Mounts a host folder read-only at a container path such as <c>/models/m</c> (by copying it).</summary>
    public void Mount(string hostFolder, string containerPath)
    {
        var target = Path.Combine(Root, containerPath.TrimStart('/'));
        CopyServer(hostFolder, target);
    }

    /// <summary>The Dockerfile's ENV with <c>-e</c> overrides, container paths mapped into the sandbox.</summary>
    public ProcessStartInfo Command(IReadOnlyList<string> command, IDictionary<string, string>? extraEnv = null)
    {
        var info = new ProcessStartInfo { WorkingDirectory = AppFolder, UseShellExecute = false };
        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        info.Environment["HOME"] = Path.Combine(Root, "home");
        info.Environment["DOTNET_RUNNING_IN_CONTAINER"] = "true";
        info.Environment["APP_UID"] = AppUid;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            info.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        var env = new Dictionary<string, string>(Image.Env);
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        foreach (var (k, v) in env)
        {
            info.Environment[k] = k == "ASPNETCORE_HTTP_PORTS" ? Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : MapPath(v);
        }

        var args = command.Select(MapPath).ToList();
        if (OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"))
        {
            info.FileName = "/usr/bin/setpriv";
            foreach (var a in (string[])[$"--reuid={AppUid}", $"--regid={AppUid}", "--clear-groups", "--"])
            {
                info.ArgumentList.Add(a);
            }

            info.ArgumentList.Add(args[0]);
        }
        else
        {
            info.FileName = args[0];
        }

        foreach (var a in args.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private string MapPath(string value) =>
        value.StartsWith('/') && !value.StartsWith("/usr/", StringComparison.Ordinal) ? Path.Combine(Root, value.TrimStart('/')) : value;

    private static void CopyServer(string from, string to)
    {
        var otherPlatforms = Path.Combine(from, "runtimes");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (file.StartsWith(otherPlatforms + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !relative.StartsWith(Path.Combine("runtimes", RuntimeInformation.RuntimeIdentifier) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        if (OperatingSystem.IsLinux())
        {
            foreach (var dir in Directory.EnumerateDirectories(to, "*", SearchOption.AllDirectories).Append(to))
            {
                File.SetUnixFileMode(dir, (UnixFileMode)0x16D);   // 0555: nobody writes into the app or a mount
            }

            foreach (var file in Directory.EnumerateFiles(to, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, (UnixFileMode)0x124);  // 0444
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var dir in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
            }
        }

        Directory.Delete(Root, recursive: true);
    }
}
