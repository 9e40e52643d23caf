using InferenceServer.Security;
using Microsoft.Extensions.Options;

namespace InferenceServer.Tests.Security;

public sealed class ApiKeyStoreTests
{
    [Fact]
    public void KeysFromConfigurationAndFileMatchAndOthersDoNot()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "# comment\n\n  sk-from-file  \n");
        var store = new ApiKeyStore(Options.Create(new ApiKeyOptions { Keys = ["sk-one", " "], KeysFile = file }));
        Assert.Equal(2, store.Count);
        Assert.NotNull(store.Match("sk-one"));
        Assert.NotNull(store.Match("sk-from-file"));
        Assert.Null(store.Match("sk-on"));
        Assert.Null(store.Match("sk-one "));
        Assert.Null(store.Match("# comment"));
        Assert.NotEqual(store.Match("sk-one"), store.Match("sk-from-file"));
        Assert.DoesNotContain("sk-one", store.Match("sk-one"));
        File.Delete(file);
    }

    [Fact]
    public void NoKeysMeansOpen() => Assert.False(new ApiKeyStore(Options.Create(new ApiKeyOptions())).Enabled);
}
