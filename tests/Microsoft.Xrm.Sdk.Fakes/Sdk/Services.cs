#nullable enable
using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk;

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.IPlugin</c>.</summary>
public interface IPlugin
{
    void Execute(IServiceProvider serviceProvider);
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.IExecutionContext</c>.</summary>
public interface IExecutionContext
{
    int Mode { get; }

    int IsolationMode { get; }

    int Depth { get; }

    string MessageName { get; }

    string PrimaryEntityName { get; }

    Guid? RequestId { get; }

    string SecondaryEntityName { get; }

    ParameterCollection InputParameters { get; }

    ParameterCollection OutputParameters { get; }

    ParameterCollection SharedVariables { get; }

    Guid UserId { get; }

    Guid InitiatingUserId { get; }

    Guid BusinessUnitId { get; }

    Guid OrganizationId { get; }

    string OrganizationName { get; }

    Guid PrimaryEntityId { get; }

    EntityImageCollection PreEntityImages { get; }

    EntityImageCollection PostEntityImages { get; }

    EntityReference? OwningExtension { get; }

    Guid CorrelationId { get; }

    bool IsExecutingOffline { get; }

    bool IsOfflinePlayback { get; }

    bool IsInTransaction { get; }

    Guid OperationId { get; }

    DateTime OperationCreatedOn { get; }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.IPluginExecutionContext</c>.</summary>
public interface IPluginExecutionContext : IExecutionContext
{
    int Stage { get; }

    IPluginExecutionContext? ParentContext { get; }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.ITracingService</c>.</summary>
public interface ITracingService
{
    void Trace(string format, params object[] args);
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.IOrganizationServiceFactory</c>.</summary>
public interface IOrganizationServiceFactory
{
    IOrganizationService CreateOrganizationService(Guid? userId);
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.IOrganizationService</c> (the members the adapter uses).</summary>
public interface IOrganizationService
{
    Guid Create(Entity entity);

    Entity Retrieve(string entityName, Guid id, ColumnSet columnSet);

    void Update(Entity entity);

    void Delete(string entityName, Guid id);

    EntityCollection RetrieveMultiple(QueryBase query);
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.OperationStatus</c>.</summary>
public enum OperationStatus
{
    Failed = 0,
    Canceled = 1,
    Retry = 2,
    Suspended = 3,
    Succeeded = 4,
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.InvalidPluginExecutionException</c>: the exception whose message the caller sees.</summary>
public class InvalidPluginExecutionException : Exception
{
    public InvalidPluginExecutionException()
    {
    }

    public InvalidPluginExecutionException(string message)
        : base(message)
    {
    }

    public InvalidPluginExecutionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public InvalidPluginExecutionException(OperationStatus status, string message)
        : base(message) => Status = status;

    public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public OperationStatus Status { get; } = OperationStatus.Failed;

    public int ErrorCode { get; }
}
