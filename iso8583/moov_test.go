package iso8583

import moov "github.com/moov-io/iso8583"

func newMoovMessage(s *Spec) *moov.Message { return moov.NewMessage(s.Moov()) }
