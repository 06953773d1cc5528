import CEdgePackALSA

/// One capture device of a sound card, as `arecord -l` lists it.
public struct ALSACaptureDevice: Equatable {
    /// The card's id: the NAME of plughw:CARD=NAME,DEV=N, which stays the same whichever USB port
    /// or boot order gives the card its number.
    public let cardID: String
    public let device: Int
    public let cardName: String
    public let deviceName: String

    /// The PCM name to capture from, with ALSA converting rate, format and channels.
    public var pcmName: String { "plughw:CARD=" + cardID + ",DEV=" + String(device) }

    /// Every capture device of every card; none when there is no sound card.
    public static func all() throws(ALSAError) -> [ALSACaptureDevice] {
        var error: Int32 = 0
        guard let text = ep_alsa_list_capture(&error) else {
            throw ALSAError(device: "", stage: error == -2 ? .library : .list, code: error)
        }
        defer { ep_alsa_free_text(text) }
        var devices: [ALSACaptureDevice] = []
        let bytes = Array(String(cString: text).utf8)
        for line in bytes.split(separator: 10) {
            let fields = line.split(separator: 9, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 4, let n = Int(fields[1]) else { continue }
            devices.append(ALSACaptureDevice(cardID: fields[0], device: n, cardName: fields[2], deviceName: fields[3]))
        }
        return devices
    }
}
