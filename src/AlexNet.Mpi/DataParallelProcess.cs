using System.Runtime.InteropServices;
using AlexNet.Distributed;

namespace AlexNet.Mpi;

/// <summary>
/// A program's work run as one rank of an MPI job (<c>mpirun -np N ./alexnet train …</c>), or as the single process
/// it always was when nothing launched it that way. Rank 0 prints; the other ranks stay quiet unless they fail alone.
/// A failure all ranks agreed on is printed once, by rank 0 before it leaves MPI, and rank 0 exits with 1 while the
/// others exit with 0: mpirun ends a job as soon as one rank exits with an error, and would cut rank 0 off before its
/// message if another rank were first. A failure on one rank that the others cannot know of is printed by that rank,
/// naming it, and ends the job.
/// </summary>
public sealed class DataParallelProcess
{
    /// <summary>SIGUSR1 on Linux (signal 10), which .NET takes as a raw signal number.</summary>
    private const PosixSignal UserSignal1 = (PosixSignal)10;

    private readonly MpiTrainingGroup? _mpi;
    private readonly TextWriter _error;
    private PosixSignalRegistration? _stopSignal;
    private bool _collectivesEnded;

    private DataParallelProcess(ITrainingGroup group, MpiTrainingGroup? mpi, TextWriter output, TextWriter error) =>
        (Group, _mpi, Output, _error) = (group, mpi, output, error);

    public ITrainingGroup Group { get; }

    /// <summary>Where this rank prints: the program's output on rank 0, nowhere on the others.</summary>
    public TextWriter Output { get; }

    public bool IsDataParallel => _mpi is not null;

    /// <summary>Joins the MPI job when this process is one of its ranks; otherwise the single-process group.</summary>
    public static DataParallelProcess Join(MpiGroupOptions options, TextWriter output, TextWriter error)
    {
        if (!MpiLaunch.Detected) return new DataParallelProcess(ITrainingGroup.SingleProcess, null, output, error);
        var mpi = MpiTrainingGroup.Join(options, error);
        return new DataParallelProcess(mpi, mpi, mpi.IsWriter ? output : TextWriter.Null, error);
    }

    /// <summary>
    /// <paramref name="token"/>, cancelled also by SIGUSR1 on a rank of an MPI job. mpirun answers Ctrl+C or SIGTERM by
    /// killing the ranks a second later, too soon to save anything, but forwards SIGUSR1 to every rank: sent to mpirun,
    /// it makes the ranks stop together after the step in flight, as Ctrl+C does for a single process.
    /// </summary>
    public CancellationToken StopRequests(CancellationToken token)
    {
        if (_mpi is null) return token;
        var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        _stopSignal = PosixSignalRegistration.Create(UserSignal1, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        return stop.Token;
    }

    /// <summary>Leaves MPI once this rank has passed its last collective (rank 0 may then write its report alone).</summary>
    public void EndCollectives()
    {
        if (_collectivesEnded) return;
        _collectivesEnded = true;
        _stopSignal?.Dispose();
        _mpi?.Dispose();
    }

    /// <summary>Runs the work with the failure handling described above; returns its exit status.</summary>
    public int Run(Func<int> work)
    {
        if (_mpi is null) return work();
        try
        {
            return work();
        }
        catch (Exception e) when (!_mpi.FailureAgreed && !_collectivesEnded)
        {
            _mpi.Abort(e);
            throw;
        }
        catch (AlexNetException e) when (_mpi.FailureAgreed)
        {
            if (!_mpi.IsWriter) return 0;
            _error.WriteLine($"error: {e.Message}");
            _error.Flush();
            return 1;
        }
        finally
        {
            EndCollectives();
        }
    }
}
