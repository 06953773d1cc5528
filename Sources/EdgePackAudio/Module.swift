// EdgePackAudio module.
