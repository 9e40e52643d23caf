using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace InferenceServer.Files;

/// <summary>
/// Marks the upload action, whose multipart body is streamed by hand: MVC's form value providers are removed, so they
/// do not read (and buffer) the form before the action runs. The OpenAPI filter describes the form.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FileUploadBodyAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var factories = context.ValueProviderFactories;
        factories.RemoveType<FormValueProviderFactory>();
        factories.RemoveType<FormFileValueProviderFactory>();
        factories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
