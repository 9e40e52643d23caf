namespace InferenceServer.IntegrationTests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class FilesServerCollection : ICollectionFixture<FilesServerFixture>
{
    public const string Name = "files server";
}
