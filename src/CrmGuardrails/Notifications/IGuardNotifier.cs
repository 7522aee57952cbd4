namespace CrmGuardrails.Notifications;

/// <summary>Tells people about findings: the account owner whose customer was prospected, the manager of a moved meeting.</summary>
/// <remarks>Called after the verdict is known. A notifier that throws is logged and ignored: it never fails the save.</remarks>
public interface IGuardNotifier
{
    /// <summary>Delivers one notification.</summary>
    /// <param name="notification">What to tell whom.</param>
    /// <param name="cancellationToken">Cancels delivery.</param>
    /// <returns>A task that completes when the notification is handed over.</returns>
    ValueTask NotifyAsync(GuardNotification notification, CancellationToken cancellationToken);
}

/// <summary>A notification about a finding.</summary>
/// <param name="RecipientUserId">Who is told.</param>
/// <param name="Finding">The finding.</param>
/// <param name="Request">The save the finding is about.</param>
public sealed record GuardNotification(string RecipientUserId, GuardFinding Finding, GuardRequest Request);

/// <summary>A notifier that tells nobody.</summary>
public sealed class NullGuardNotifier : IGuardNotifier
{
    private NullGuardNotifier()
    {
    }

    /// <summary>Gets the instance.</summary>
    public static NullGuardNotifier Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask NotifyAsync(GuardNotification notification, CancellationToken cancellationToken) => default;
}
