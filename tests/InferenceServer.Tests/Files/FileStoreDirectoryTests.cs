using InferenceServer.Files;

namespace InferenceServer.Tests.Files;

public sealed class FileStoreDirectoryTests
{
    [Fact]
    public void TheDefaultFolderIsBesideTheModelCache()
    {
        Assert.Equal("/var/lib/inference/inferenceserver-files", FileStore.ResolveDirectory("", "/var/lib/inference/models"));
        Assert.Equal("/var/lib/inference/inferenceserver-files", FileStore.ResolveDirectory(" ", "/var/lib/inference/models/"));
        Assert.Equal(Path.Combine(Path.GetTempPath(), "inferenceserver-files"),
            FileStore.ResolveDirectory("", Path.Combine(Path.GetTempPath(), "inferenceserver-models")));
    }

    [Fact]
    public void AConfiguredFolderIsUsedAsGiven() =>
        Assert.Equal("/srv/uploads", FileStore.ResolveDirectory("/srv/uploads", "/var/lib/inference/models"));
}
