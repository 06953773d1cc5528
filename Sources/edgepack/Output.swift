import Foundation

enum FileHandleOutput {
    static func stderr(_ text: String) {
        FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
    }
}
