package cn.prepaid.ledger.core.institution;

/** 学科类 (academic subjects) or 非学科类 (arts, sports, technology and the like). */
public enum InstitutionCategory { SUBJECT, NON_SUBJECT }
