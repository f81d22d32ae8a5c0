import ArgumentParser
import BertSent
import Foundation

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub into the shared cache and print its folder.",
        discussion: """
            Fetches config.json, the tokenizer files and model.safetensors (or its shards) with the Hub's \
            protocol into the cache transformers uses (HF_HUB_CACHE, else HF_HOME/hub, else \
            ~/.cache/huggingface/hub), resuming interrupted files; prints the snapshot folder, which \
            --model accepts as well as the repo name. HF_ENDPOINT, HF_TOKEN, HF_TOKEN_PATH, HF_HUB_OFFLINE, \
            HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT apply as in huggingface_hub.
            """)

    @Argument(help: ArgumentHelp("The repo id, ORG/NAME or a legacy NAME, optionally @REVISION.", valueName: "repo"))
    var repo: String

    @Option(help: "A branch, tag or commit (main); the same as REPO@REVISION.")
    var revision: String?

    @Option(help: "The cache folder to use instead of HF_HUB_CACHE.")
    var cacheDir: String?

    @Option(help: "A Hub token for gated or private repos, instead of HF_TOKEN or the token file. Never printed.")
    var token: String?

    @Flag(help: "No progress output; only the folder (and warnings) are printed.")
    var quiet = false

    func validate() throws {
        if revision != nil && repo.contains("@") {
            throw ValidationError("give the revision once: '\(repo)' already names one, and so does --revision")
        }
    }

    func run() throws {
        var variables = ProcessInfo.processInfo.environment
        if let cacheDir { variables["HF_HUB_CACHE"] = (cacheDir as NSString).expandingTildeInPath }
        if let token { variables["HF_TOKEN"] = token }
        let printer = DownloadProgressPrinter(quiet: quiet)
        defer { printer.finish() }
        let folder = try HubModelResolver.resolve(
            revision.map { "\(repo)@\($0)" } ?? repo, environment: HubEnvironment(variables)
        ) {
            printer.handle($0)
        }
        print(folder.path)
    }
}
