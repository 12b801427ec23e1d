"""Decoding what browsers send, and refusing what is not audio."""

import numpy as np
import pytest

from rehearse.speech import TranscriptionError
from rehearse.speech.audio import SAMPLE_RATE, check_format, decode, looks_like_audio

av = pytest.importorskip("av", reason="PyAV comes with the speech extra")


@pytest.mark.parametrize(
    ("audio", "message"),
    [
        (b"", "empty"),
        (b"this is not audio at all " * 200, "could not be decoded"),
        (bytes(range(256)) * 64, "could not be decoded"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "could not be decoded"),  # a truncated WAV header
    ],
)
def test_garbage_is_refused_with_a_reason(audio, message):
    with pytest.raises(TranscriptionError, match=message):
        decode(audio)


@pytest.mark.parametrize("upload", [
    b"null", b"[]", b"{}", b"x", b"plain text", b"<html>", b"%PDF-1.7", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04",
    b"RIFF\x00\x00\x00\x00AVI ", b"ftyp at the start", b"\xff\x00 not a frame sync", b"Ogg", b"",
])
def test_bytes_that_do_not_start_as_audio_do_not_look_like_audio(upload):
    assert not looks_like_audio(upload)
    with pytest.raises(TranscriptionError, match="send WAV, WebM, Ogg, MP3, MP4/M4A or FLAC"):
        check_format(upload)


@pytest.mark.parametrize(
    ("container", "codec"),
    [("webm", "libopus"), ("ogg", "libopus"), ("mp4", "aac"), ("ipod", "aac"), ("wav", "pcm_s16le"),
     ("flac", "flac"), ("mp3", "libmp3lame"), ("adts", "aac")],
)
def test_what_recorders_write_looks_like_audio_and_decodes(audio, deploy_speech, container, codec):
    """The check before queueing lets through each container the worker decodes (ipod is M4A, adts bare AAC)."""
    samples, rate = deploy_speech
    encoded = audio.encode(samples, rate, container, codec)
    assert looks_like_audio(encoded)
    assert decode(encoded).size > 0


def test_transcription_error_is_a_value_error():
    assert issubclass(TranscriptionError, ValueError)


def test_oversized_upload_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr("rehearse.speech.audio.MAX_AUDIO_BYTES", 1000)
    with pytest.raises(TranscriptionError, match="larger than"):
        decode(b"\x00" * 1001)


def test_too_long_recording_is_refused(audio):
    three_seconds = np.zeros(3 * 8000, dtype=np.int16)
    with pytest.raises(TranscriptionError, match="longer than"):
        decode(audio.to_wav(three_seconds, 8000), max_duration_s=2)


def test_zero_length_wav_is_refused(audio):
    with pytest.raises(TranscriptionError, match="no audio samples"):
        decode(audio.to_wav(np.zeros(0, dtype=np.int16), 16000))


@pytest.mark.parametrize(
    ("container", "codec"),
    [("webm", "libopus"), ("ogg", "libopus"), ("mp4", "aac"), ("wav", "pcm_s16le")],
)
def test_browser_formats_decode_to_16khz_mono(audio, deploy_speech, container, codec):
    samples, rate = deploy_speech
    decoded = decode(audio.encode(samples, rate, container, codec))
    assert decoded.dtype == np.float32
    # same length as the source, give or take the codec's padding (aac adds ~50 ms)
    assert decoded.size / SAMPLE_RATE == pytest.approx(samples.size / rate, abs=0.1)
    assert 0.01 < np.abs(decoded).max() <= 1.0
