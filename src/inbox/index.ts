/**
 * The test inbox's Node side (SMTP server, sender, demo TLS certificate). The extension loads it from its own
 * bundle (dist/inbox.js) only when an inbox command runs, so activation never pays for smtp-server or nodemailer.
 */
export { startCatcher, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_MESSAGE_BYTES, type Catcher, type CatcherOptions, type ReceivedMessage, type Rejection } from './catcher';
export { sendRawMessage, envelopeOf, type SmtpTarget, type SmtpSecurity, type SendResult, type Envelope } from './sender';
export { createDemoTlsCertificate } from './demoTls';
export { messageFileName, subjectOf } from './fileName';
