import { registerEnumType } from 'type-graphql';

export enum OrgUnitType {
  MINISTRY = 'MINISTRY',
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  WARD = 'WARD',
}

registerEnumType(OrgUnitType, {
  name: 'OrgUnitType',
  description: 'The level of an organizational unit.',
  valuesConfig: {
    MINISTRY: { description: 'The national level: the Ministry of Justice and its Department of Civil Judgment Enforcement Management.' },
    PROVINCE: { description: 'A province or centrally-run city: 63 until 30 June 2025, 34 from 1 July 2025.' },
    DISTRICT: { description: 'A district-level civil judgment enforcement sub-department; abolished on 1 July 2025.' },
    WARD: { description: 'A commune-level unit (commune, ward or special zone), from 1 July 2025.' },
  },
});

export enum WardKind {
  COMMUNE = 'COMMUNE',
  WARD = 'WARD',
  SPECIAL_ZONE = 'SPECIAL_ZONE',
}

registerEnumType(WardKind, {
  name: 'WardKind',
  description: 'The kind of a commune-level unit after the 2025 reorganization.',
  valuesConfig: {
    COMMUNE: { description: 'Xã: a rural commune.' },
    WARD: { description: 'Phường: an urban ward.' },
    SPECIAL_ZONE: { description: 'Đặc khu: a special administrative zone (islands).' },
  },
});
