import ArgumentParser
import BertSent
import Foundation

@main
struct BertSentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertsent",
        abstract: "Fine-tune, evaluate and serve BERT sentiment classifiers.",
        discussion: """
            Exit codes: 0 success; 64 a command line it cannot use; 65 bad input (a malformed file, text or \
            setting); 66 a file or model that cannot be read; 70 an internal error; \
            71 out of memory; 73 an output that cannot be written; 75 a network or Hub failure; 128 + N a \
            training run stopped by signal N (SIGINT 130, SIGTERM 143) after saving a checkpoint to resume from.
            """,
        version: BertSentVersion.current,
        subcommands: [
            TrainCommand.self, DistillCommand.self, EvaluateCommand.self, BenchCommand.self, PredictCommand.self,
            TokenizeCommand.self,
            GenerateCommand.self, AnalyzeCommand.self, ServeCommand.self, DownloadCommand.self,
        ]
    )

    /// Runs the command; library errors are printed with the advice a command line can give and exit
    /// with their category's code (the sysexits.h numbers the discussion lists).
    static func main() async {
        var command: (any ParsableCommand)?
        do {
            command = try parseAsRoot()
            // A cap on the kernels' instruction set or a thread count that means nothing is refused before
            // any work; so is a command started by mpirun that cannot run as one of several ranks.
            let environment = ProcessInfo.processInfo.environment
            _ = try InstructionSet.cap(environment: environment)
            _ = try ThreadCount.configured(environment: environment)
            if let (variable, size) = ProcessGroup.launcher(environment: environment) {
                guard command is any RunsAsRanks else {
                    let name = command.map { type(of: $0).configuration.commandName ?? "" } ?? ""
                    throw ValidationError(
                        "started by mpirun as one of \(size) ranks (\(variable) is set), but bertsent \(name) runs as one process: run it without mpirun (mpirun runs predict --output)"
                    )
                }
                _ = try ProcessGroup.current()
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command?.run()
            }
            ProcessGroup.finish()
        } catch let error as any BertSentError {
            // Under mpirun an error every rank reaches together (a stop signal, ranks that disagree) is
            // printed by rank 0 and ends each rank normally; any other is printed by the rank that has it,
            // which stops the job.
            let rank = (try? ProcessGroup.current()) ?? .single
            if raisedOnEveryRank(error) {
                if rank.isRoot { FileHandle.standardError.write(Data("Error: \(message(for: error))\n".utf8)) }
                ProcessGroup.finish()
                Foundation.exit(exitCode(for: error))
            }
            let prefix = rank.isRoot ? "" : "rank \(rank.rank): "
            FileHandle.standardError.write(Data("\(prefix)Error: \(message(for: error))\n".utf8))
            rank.abort(code: exitCode(for: error))
        } catch let error as ValidationError {
            // A command line the command's own checks refused: point at that command's help.
            let name = command.flatMap { type(of: $0).configuration.commandName }.map { " " + $0 } ?? ""
            FileHandle.standardError.write(Data("Error: \(error.message)\nSee 'bertsent\(name) --help'.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// A command that works as one of the ranks `mpirun` starts (sharing the work); other commands refuse
    /// to run under it.
    protocol RunsAsRanks {}

    /// Whether every rank of a run under mpirun throws `error` at the same point (so all can end normally).
    static func raisedOnEveryRank(_ error: any BertSentError) -> Bool {
        switch error {
        case TrainingError.interrupted, TrainingError.ranksDisagree: true
        default: false
        }
    }

    static func exitCode(for error: any BertSentError) -> Int32 {
        if case TrainingError.interrupted(let signal, _, _) = error { return 128 + signal }
        return switch error.category {
        case .invalidInput: 65
        case .fileUnavailable: 66
        case .internal: 70
        case .outOfMemory: 71
        case .writeFailed: 73
        case .network, .interrupted: 75
        }
    }

    /// The library's message, with settings named by their flags and advice only the command line can give.
    static func message(for error: any BertSentError) -> String {
        switch error {
        case let error as SettingsError:
            // A settings file's errors name its keys; others name the flags that set them.
            if case .inFile = error { error.description } else { SettingFlags.message(error) }
        case let error as DatasetError:
            switch error {
            case .badRow: "\(error) (--skip-bad-rows skips such rows and reports them)"
            case .missingColumn: "\(error) (--text-column and --label-column name the columns)"
            default: error.description
            }
        case TrainingError.interrupted(_, _, let checkpoint):
            "\(error)\nTo continue: \(StopSignals.resumeCommand(checkpoint: checkpoint))"
        default: error.description
        }
    }
}
