namespace CrmGuardrails.Embedded;

/// <summary>
/// Many readers or one writer: checks on every core read the embedded org at once, and a replay's or a test's change
/// waits for them. <c>using (gate.Reading()) { … }</c> holds it for the block, without an allocation.
/// </summary>
internal sealed class ReadWriteGate
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public Scope Reading()
    {
        _lock.EnterReadLock();
        return new Scope(_lock, write: false);
    }

    public Scope Writing()
    {
        _lock.EnterWriteLock();
        return new Scope(_lock, write: true);
    }

    public readonly struct Scope(ReaderWriterLockSlim held, bool write) : IDisposable
    {
        public void Dispose()
        {
            if (write)
                held.ExitWriteLock();
            else
                held.ExitReadLock();
        }
    }
}
