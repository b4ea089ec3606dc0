using AlexNet.Backends;
using AlexNet.Distributed;
using AlexNet.Mpi.Native;
using AlexNet.Tensors;

namespace AlexNet.Mpi;

/// <summary>
/// The ranks of an MPI job as one data-parallel training group. Every collective runs on one communication thread
/// (<see cref="CommunicationThread"/>) over a communicator of the group's own; a heartbeat on a second communicator
/// (<see cref="PeerWatch"/>) stops the job when a rank goes silent. Failures: a failure that all ranks agreed on
/// (<see cref="Agree"/>, a step's end) makes every rank throw the same message and leaves MPI in order
/// (<see cref="FailureAgreed"/>); anything else on one rank calls for <see cref="Abort"/>, which ends every rank.
/// </summary>
public sealed class MpiTrainingGroup : ITrainingGroup, IDisposable
{
    /// <summary>The exit status of a rank stopped because another went silent or failed alone.</summary>
    public const int AbortExitCode = 1;

    private readonly MpiWorld _world;
    private readonly CommunicatorHandle _collectivesCommunicator, _heartbeatCommunicator;
    private readonly CommunicationThread _thread;
    private readonly Collectives _collectives;
    private readonly PeerWatch? _watch;
    private readonly MpiGroupOptions _options;
    private readonly TextWriter _error;
    private bool _disposed;

    private MpiTrainingGroup(MpiWorld world, MpiGroupOptions options, TextWriter error)
    {
        (_world, _options, _error) = (world, options, error);
        _collectivesCommunicator = world.Duplicate();
        _heartbeatCommunicator = world.Duplicate();
        _collectives = new Collectives(_collectivesCommunicator, world.Handles, world.Rank, world.Size, options.AllReduce);
        _thread = new CommunicationThread($"AlexNet MPI rank {world.Rank}");
        if (world.Size > 1)
        {
            _watch = new PeerWatch(_heartbeatCommunicator, world.Handles, world.Rank, world.Size, TimeSpan.FromSeconds(options.HeartbeatSeconds),
                TimeSpan.FromSeconds(options.PeerTimeoutSeconds), OnSilentPeer);
        }
    }

    /// <summary>
    /// Joins the MPI job this process was started in (see <see cref="MpiLaunch"/>): initializes MPI, which waits for
    /// every rank. <paramref name="error"/> receives the messages of a stop that ends the process.
    /// </summary>
    public static MpiTrainingGroup Join(MpiGroupOptions options, TextWriter error)
    {
        options.Validate();
        var world = MpiWorld.Initialize(MpiLibrary.Load());
        return new MpiTrainingGroup(world, options, error);
    }

    public int Rank => _world.Rank;

    public int Size => _world.Size;

    public bool IsWriter => Rank == 0;

    /// <summary>The machine this rank runs on.</summary>
    public string Host => _world.Host;

    /// <summary>True once every rank has thrown the same failure: the ranks may end normally.</summary>
    public bool FailureAgreed { get; private set; }

    public IGradientExchange ExchangeGradients(IExecutionPlan plan, IReadOnlyList<Parameter> parameters) =>
        new MpiGradientExchange(this, _thread, _collectives, plan, parameters, _options.BucketBytes);

    public void Sum(double[] values) => _thread.Run("a sum over the ranks", () => _collectives.SumInPlace(values));

    /// <summary>Sums <paramref name="values"/> over the ranks on the ring, in messages of <paramref name="segment"/> floats (for tests of odd shapes).</summary>
    internal unsafe void RingSum(float[] values, int segment) => _thread.Run("a ring sum", () =>
    {
        fixed (float* pointer = values) _collectives.RingSumInPlace(pointer, values.Length, segment);
    });

    public void Agree(Exception? failure)
    {
        var failed = new[] { failure is null ? 0.0 : 1.0 };
        _thread.Run("an agreement on failures", () => _collectives.SumInPlace(failed));
        if (failed[0] > 0) ThrowAgreedFailure(failure);
    }

    public void Broadcast(float[] values) => _thread.Run("a broadcast from rank 0", () => _collectives.Broadcast(values));

    public byte[] Broadcast(byte[]? content)
    {
        byte[]? result = null;
        _thread.Run("a broadcast from rank 0", () => result = _collectives.Broadcast(content));
        return result!;
    }

    /// <summary>Collective, once the ranks know that some failed: exchanges the causes and throws them on every rank.</summary>
    internal void ThrowAgreedFailure(Exception? failure)
    {
        string?[]? causes = null;
        _thread.Run("the exchange of failure messages", () => causes = _collectives.GatherMessages(failure is null ? null : Cause(failure)));
        FailureAgreed = true;
        throw failure is null ? new AlexNetException(RankFailures.Describe(causes!)) : new AlexNetException(RankFailures.Describe(causes!), failure);
    }

    /// <summary>
    /// Ends the whole job after a failure on this rank that the others do not know of: prints it, naming this rank,
    /// and calls MPI_Abort, which makes mpirun stop every rank. Does not return.
    /// </summary>
    public void Abort(Exception failure)
    {
        _error.WriteLine($"error: rank {Rank} of {Size} ({Host}) failed: {Cause(failure)}; stopping every rank.");
        _error.Flush();
        _world.Abort(AbortExitCode);
    }

    private void OnSilentPeer(int peer, TimeSpan silence)
    {
        _error.WriteLine($"error: rank {peer} of {Size} went silent: rank {Rank} has not heard from it for {silence.TotalSeconds:F0} s " +
            "(its process was killed or stopped, or its machine or network failed); stopping every rank.");
        _error.Flush();
        _world.Abort(AbortExitCode);
    }

    /// <summary>What other ranks are told: the message of an error the toolkit expects, else the exception's type too.</summary>
    private static string Cause(Exception failure) => failure is AlexNetException ? failure.Message : $"{failure.GetType().Name}: {failure.Message}";

    /// <summary>Stops the heartbeat and the communication thread and finalizes MPI: call once this rank is past its last collective.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _watch?.Dispose();
        _thread.Dispose();
        _collectivesCommunicator.Dispose();
        _heartbeatCommunicator.Dispose();
        _world.Dispose();
    }
}
