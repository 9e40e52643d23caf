using InferenceServer.Files;

namespace InferenceServer.Tests.Files;

public sealed class FileIdsTests
{
    [Fact]
    public void NewIdsHaveDeepSeeksShapeAndDoNotRepeat()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => FileIds.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^file-api-[0-9a-f]{32}$", id));
        Assert.All(ids, id => Assert.True(FileIds.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("file-api-0123456789abcdef0123456789abcdef/../x")]
    [InlineData("../file-api-0123456789abcdef0123456789abcdef")]
    [InlineData("file-api-0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("file-api-0123456789abcdef0123456789abcde")]
    [InlineData("file-api-0123456789abcdef0123456789abcdef\n")]
    [InlineData("file-abc123")]
    public void AnythingElseIsNotAnIdAndNeverReachesAPath(string? id) => Assert.False(FileIds.IsValid(id));
}
