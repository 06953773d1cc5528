import EdgePackRuntime
import Foundation

enum FileHandleOutput {
    /// A path's bytes that are not UTF-8 (PathText) are shown as `\xff`.
    static func stderr(_ text: String) {
        FileHandle.standardError.write((PathText.escaped(text, controls: false) + "\n").data(using: .utf8)!)
    }
}
