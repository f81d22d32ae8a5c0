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
            // A cap on the kernels' instruction set that names no level is refused before any work.
            _ = try InstructionSet.cap(environment: ProcessInfo.processInfo.environment)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command?.run()
            }
        } catch let error as any BertSentError {
            FileHandle.standardError.write(Data("Error: \(message(for: error))\n".utf8))
            Foundation.exit(exitCode(for: error))
        } catch let error as ValidationError {
            // A command line the command's own checks refused: point at that command's help.
            let name = command.flatMap { type(of: $0).configuration.commandName }.map { " " + $0 } ?? ""
            FileHandle.standardError.write(Data("Error: \(error.message)\nSee 'bertsent\(name) --help'.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
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
