namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The server's own build output, in the configuration these tests were built in (Debug or Release).</summary>
    public static string ServerBuildOutput()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Root, "src", "InferenceServer", "bin", tests.Parent!.Name, tests.Name);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "InferenceServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("InferenceServer.sln not found above " + AppContext.BaseDirectory);
    }
}
