namespace AlexNet.Training;

/// <summary>
/// How far an interrupted epoch got: the batches already trained on and the running sums its metrics need.
/// A run resumed from such a checkpoint skips those batches and finishes the epoch as if it had not stopped.
/// CorrectTop5 is 0 in checkpoints written before train top-5 was recorded.
/// </summary>
public sealed record PartialEpoch(int Batches, double LossSum, long Correct, long Seen, double Seconds, long CorrectTop5 = 0);
